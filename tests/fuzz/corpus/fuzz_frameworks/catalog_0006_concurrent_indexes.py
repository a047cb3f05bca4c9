from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('catalog', '0005_indexes_constraints'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='product',
            index=models.Index(fields=['price'], name='product_price_idx'),
        ),
        RemoveIndexConcurrently(
            model_name='product',
            name='product_created_idx',
        ),
    ]
