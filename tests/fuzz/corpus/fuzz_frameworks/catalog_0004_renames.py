from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_alter_fields'),
    ]

    operations = [
        migrations.RenameField(
            model_name='product',
            old_name='weight',
            new_name='weight_kg',
        ),
        migrations.RenameModel(
            old_name='Category',
            new_name='Section',
        ),
    ]
