from django.db import migrations, models


def forwards(apps, schema_editor):
    Product = apps.get_model('catalog', 'Product')
    Product.objects.filter(stock__lt=0).update(stock=0)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0006_concurrent_indexes'),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX catalog_product_weight_idx ON catalog_product (weight_kg);",
            reverse_sql="DROP INDEX catalog_product_weight_idx;",
        ),
        migrations.RunSQL(
            sql=[
                "UPDATE catalog_product SET active = true;",
                ("UPDATE catalog_product SET stock = %s WHERE stock IS NULL;", [0]),
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            """
            ALTER TABLE catalog_section
                ADD CONSTRAINT section_name_not_empty CHECK (name <> '');
            LOCK TABLE catalog_product IN ACCESS EXCLUSIVE MODE;
            """
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='product',
                    name='origin',
                    field=models.CharField(max_length=2, null=True),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE catalog_product ADD COLUMN "origin" varchar(2) NULL;',
                    reverse_sql='ALTER TABLE catalog_product DROP COLUMN "origin";',
                ),
            ],
        ),
    ]
