from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0007_raw_sql'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='product',
            name='replaced_by',
        ),
        migrations.RemoveField(
            model_name='product',
            name='description',
        ),
        migrations.RemoveField(
            model_name='product',
            name='category',
        ),
        migrations.DeleteModel(
            name='Section',
        ),
    ]
