import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.utils.timezone
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('catalog', '0008_removals'),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name='Tag',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('label', models.CharField(max_length=40, unique=True)),
                ('weight', models.PositiveIntegerField(default=1)),
                ('aliases', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=40), default=list, size=None)),
                ('data', models.JSONField(default=dict)),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['data'], name='tag_data_gin')],
                'constraints': [models.CheckConstraint(check=models.Q(label__gt=''), name='tag_label_not_empty')],
            },
        ),
        migrations.AddField(
            model_name='product',
            name='tags',
            field=models.ManyToManyField(related_name='products', to='catalog.Tag'),
        ),
        migrations.AddField(
            model_name='product',
            name='updated',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='product',
            name='published',
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='product',
            name='supplier_profile',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.SET_NULL, to='accounts.supplier', related_name='showcase'),
        ),
        migrations.AddIndex(
            model_name='tag',
            index=models.Index(fields=['label', '-weight'], name='tag_label_weight_idx'),
        ),
    ]
