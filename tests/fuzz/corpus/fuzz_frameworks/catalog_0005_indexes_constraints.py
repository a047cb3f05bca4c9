from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_renames'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='product',
            index=models.Index(fields=['-created'], name='product_created_idx'),
        ),
        migrations.AddIndex(
            model_name='product',
            index=models.Index(condition=models.Q(active=True), fields=['stock'], name='product_active_stock_idx'),
        ),
        migrations.RemoveIndex(
            model_name='product',
            name='catalog_pro_name_pr_idx',
        ),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.CheckConstraint(check=models.Q(price__gte=0), name='product_price_gte_0'),
        ),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.UniqueConstraint(fields=('sku',), name='product_sku_uniq'),
        ),
        migrations.AddConstraint(
            model_name='product',
            constraint=models.UniqueConstraint(condition=models.Q(active=True), fields=('name',), name='product_active_name_uniq'),
        ),
        migrations.RemoveConstraint(
            model_name='product',
            name='product_sku_uniq',
        ),
        migrations.AlterUniqueTogether(
            name='product',
            unique_together={('name', 'supplier')},
        ),
        migrations.AlterIndexTogether(
            name='product',
            index_together={('category', 'created')},
        ),
    ]
