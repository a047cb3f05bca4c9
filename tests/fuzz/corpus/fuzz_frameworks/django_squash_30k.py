# -*- coding: utf-8 -*-
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    atomic = False
    initial = True
    replaces = [('shop', '0001_a'), ('shop', '0002_b')]
    dependencies = [
        ('shop', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    run_before = [('other', '0001_initial')]

    operations = [
        migrations.CreateModel(
            name='M0',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m0', 'indexes': [models.Index(fields=['order'], name='m0_idx')]},
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_1 ON shop_order (f1);
            """,
            reverse_sql='DROP INDEX idx_1',
        ),
        # ddlgate:ignore lock-table reviewed 2
        migrations.RunSQL([("UPDATE shop_order SET f2 = %s WHERE id < %s", ['a', 2])]),
        migrations.AlterField(model_name='order', name='f3', field=models.BigIntegerField(null=False)),
        migrations.AddField(
            model_name='order',
            name='f4',
            field=models.CharField(max_length=265, null=True, blank=True, default='x4'),
        ),
        # ddlgate:ignore lock-table reviewed 5
        migrations.RunSQL([("UPDATE shop_order SET f5 = %s WHERE id < %s", ['a', 5])]),
        migrations.RenameField('order', 'f6', 'g6'),  # trailing comment 6
        # ddlgate:ignore lock-table reviewed 7
        migrations.RunSQL([("UPDATE shop_order SET f7 = %s WHERE id < %s", ['a', 7])]),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_8 ON shop_order (f8);
            """,
            reverse_sql='DROP INDEX idx_8',
        ),
        migrations.RenameField('order', 'f9', 'g9'),  # trailing comment 9
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_10 ON shop_order (f10);
            """,
            reverse_sql='DROP INDEX idx_10',
        ),
        migrations.CreateModel(
            name='M11',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m11', 'indexes': [models.Index(fields=['order'], name='m11_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 12
        migrations.RunSQL([("UPDATE shop_order SET f12 = %s WHERE id < %s", ['a', 12])]),
        migrations.AlterField(model_name='order', name='f13', field=models.BigIntegerField(null=False)),
        migrations.AddField(
            model_name='order',
            name='f14',
            field=models.CharField(max_length=225, null=True, blank=True, default='x14'),
        ),
        migrations.CreateModel(
            name='M15',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m15', 'indexes': [models.Index(fields=['order'], name='m15_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 16
        migrations.RunSQL([("UPDATE shop_order SET f16 = %s WHERE id < %s", ['a', 16])]),
        migrations.AlterField(model_name='order', name='f17', field=models.BigIntegerField(null=False)),
        # ddlgate:ignore lock-table reviewed 18
        migrations.RunSQL([("UPDATE shop_order SET f18 = %s WHERE id < %s", ['a', 18])]),
        migrations.AlterField(model_name='order', name='f19', field=models.BigIntegerField(null=False)),
        # ddlgate:ignore lock-table reviewed 20
        migrations.RunSQL([("UPDATE shop_order SET f20 = %s WHERE id < %s", ['a', 20])]),
        # ddlgate:ignore lock-table reviewed 21
        migrations.RunSQL([("UPDATE shop_order SET f21 = %s WHERE id < %s", ['a', 21])]),
        migrations.CreateModel(
            name='M22',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m22', 'indexes': [models.Index(fields=['order'], name='m22_idx')]},
        ),
        migrations.CreateModel(
            name='M23',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m23', 'indexes': [models.Index(fields=['order'], name='m23_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 24
        migrations.RunSQL([("UPDATE shop_order SET f24 = %s WHERE id < %s", ['a', 24])]),
        migrations.CreateModel(
            name='M25',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m25', 'indexes': [models.Index(fields=['order'], name='m25_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 26
        migrations.RunSQL([("UPDATE shop_order SET f26 = %s WHERE id < %s", ['a', 26])]),
        migrations.AlterField(model_name='order', name='f27', field=models.BigIntegerField(null=False)),
        migrations.RenameField('order', 'f28', 'g28'),  # trailing comment 28
        # ddlgate:ignore lock-table reviewed 29
        migrations.RunSQL([("UPDATE shop_order SET f29 = %s WHERE id < %s", ['a', 29])]),
        migrations.CreateModel(
            name='M30',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m30', 'indexes': [models.Index(fields=['order'], name='m30_idx')]},
        ),
        migrations.RenameField('order', 'f31', 'g31'),  # trailing comment 31
        migrations.CreateModel(
            name='M32',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m32', 'indexes': [models.Index(fields=['order'], name='m32_idx')]},
        ),
        migrations.RenameField('order', 'f33', 'g33'),  # trailing comment 33
        migrations.AddField(
            model_name='order',
            name='f34',
            field=models.CharField(max_length=85, null=True, blank=True, default='x34'),
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_35 ON shop_order (f35);
            """,
            reverse_sql='DROP INDEX idx_35',
        ),
        migrations.CreateModel(
            name='M36',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m36', 'indexes': [models.Index(fields=['order'], name='m36_idx')]},
        ),
        migrations.RenameField('order', 'f37', 'g37'),  # trailing comment 37
        migrations.AlterField(model_name='order', name='f38', field=models.BigIntegerField(null=False)),
        # ddlgate:ignore lock-table reviewed 39
        migrations.RunSQL([("UPDATE shop_order SET f39 = %s WHERE id < %s", ['a', 39])]),
        migrations.CreateModel(
            name='M40',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m40', 'indexes': [models.Index(fields=['order'], name='m40_idx')]},
        ),
        migrations.RenameField('order', 'f41', 'g41'),  # trailing comment 41
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_42 ON shop_order (f42);
            """,
            reverse_sql='DROP INDEX idx_42',
        ),
        migrations.CreateModel(
            name='M43',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m43', 'indexes': [models.Index(fields=['order'], name='m43_idx')]},
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_44 ON shop_order (f44);
            """,
            reverse_sql='DROP INDEX idx_44',
        ),
        migrations.AddField(
            model_name='order',
            name='f45',
            field=models.CharField(max_length=31, null=True, blank=True, default='x45'),
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_46 ON shop_order (f46);
            """,
            reverse_sql='DROP INDEX idx_46',
        ),
        migrations.CreateModel(
            name='M47',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m47', 'indexes': [models.Index(fields=['order'], name='m47_idx')]},
        ),
        migrations.AddField(
            model_name='order',
            name='f48',
            field=models.CharField(max_length=169, null=True, blank=True, default='x48'),
        ),
        migrations.AlterField(model_name='order', name='f49', field=models.BigIntegerField(null=False)),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_50 ON shop_order (f50);
            """,
            reverse_sql='DROP INDEX idx_50',
        ),
        migrations.RenameField('order', 'f51', 'g51'),  # trailing comment 51
        # ddlgate:ignore lock-table reviewed 52
        migrations.RunSQL([("UPDATE shop_order SET f52 = %s WHERE id < %s", ['a', 52])]),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_53 ON shop_order (f53);
            """,
            reverse_sql='DROP INDEX idx_53',
        ),
        migrations.RenameField('order', 'f54', 'g54'),  # trailing comment 54
        migrations.RenameField('order', 'f55', 'g55'),  # trailing comment 55
        # ddlgate:ignore lock-table reviewed 56
        migrations.RunSQL([("UPDATE shop_order SET f56 = %s WHERE id < %s", ['a', 56])]),
        migrations.AddField(
            model_name='order',
            name='f57',
            field=models.CharField(max_length=149, null=True, blank=True, default='x57'),
        ),
        migrations.CreateModel(
            name='M58',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m58', 'indexes': [models.Index(fields=['order'], name='m58_idx')]},
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_59 ON shop_order (f59);
            """,
            reverse_sql='DROP INDEX idx_59',
        ),
        migrations.AddField(
            model_name='order',
            name='f60',
            field=models.CharField(max_length=87, null=True, blank=True, default='x60'),
        ),
        migrations.CreateModel(
            name='M61',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m61', 'indexes': [models.Index(fields=['order'], name='m61_idx')]},
        ),
        migrations.AddField(
            model_name='order',
            name='f62',
            field=models.CharField(max_length=282, null=True, blank=True, default='x62'),
        ),
        migrations.AlterField(model_name='order', name='f63', field=models.BigIntegerField(null=False)),
        migrations.AlterField(model_name='order', name='f64', field=models.BigIntegerField(null=False)),
        # ddlgate:ignore lock-table reviewed 65
        migrations.RunSQL([("UPDATE shop_order SET f65 = %s WHERE id < %s", ['a', 65])]),
        migrations.RenameField('order', 'f66', 'g66'),  # trailing comment 66
        migrations.CreateModel(
            name='M67',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m67', 'indexes': [models.Index(fields=['order'], name='m67_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 68
        migrations.RunSQL([("UPDATE shop_order SET f68 = %s WHERE id < %s", ['a', 68])]),
        migrations.AddField(
            model_name='order',
            name='f69',
            field=models.CharField(max_length=138, null=True, blank=True, default='x69'),
        ),
        migrations.AddField(
            model_name='order',
            name='f70',
            field=models.CharField(max_length=63, null=True, blank=True, default='x70'),
        ),
        migrations.RenameField('order', 'f71', 'g71'),  # trailing comment 71
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_72 ON shop_order (f72);
            """,
            reverse_sql='DROP INDEX idx_72',
        ),
        migrations.RenameField('order', 'f73', 'g73'),  # trailing comment 73
        migrations.RenameField('order', 'f74', 'g74'),  # trailing comment 74
        # ddlgate:ignore lock-table reviewed 75
        migrations.RunSQL([("UPDATE shop_order SET f75 = %s WHERE id < %s", ['a', 75])]),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_76 ON shop_order (f76);
            """,
            reverse_sql='DROP INDEX idx_76',
        ),
        migrations.RenameField('order', 'f77', 'g77'),  # trailing comment 77
        migrations.RenameField('order', 'f78', 'g78'),  # trailing comment 78
        migrations.AddField(
            model_name='order',
            name='f79',
            field=models.CharField(max_length=195, null=True, blank=True, default='x79'),
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_80 ON shop_order (f80);
            """,
            reverse_sql='DROP INDEX idx_80',
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_81 ON shop_order (f81);
            """,
            reverse_sql='DROP INDEX idx_81',
        ),
        migrations.AddField(
            model_name='order',
            name='f82',
            field=models.CharField(max_length=112, null=True, blank=True, default='x82'),
        ),
        migrations.AddField(
            model_name='order',
            name='f83',
            field=models.CharField(max_length=88, null=True, blank=True, default='x83'),
        ),
        # ddlgate:ignore lock-table reviewed 84
        migrations.RunSQL([("UPDATE shop_order SET f84 = %s WHERE id < %s", ['a', 84])]),
        migrations.AddField(
            model_name='order',
            name='f85',
            field=models.CharField(max_length=150, null=True, blank=True, default='x85'),
        ),
        migrations.AddField(
            model_name='order',
            name='f86',
            field=models.CharField(max_length=290, null=True, blank=True, default='x86'),
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_87 ON shop_order (f87);
            """,
            reverse_sql='DROP INDEX idx_87',
        ),
        # ddlgate:ignore lock-table reviewed 88
        migrations.RunSQL([("UPDATE shop_order SET f88 = %s WHERE id < %s", ['a', 88])]),
        migrations.CreateModel(
            name='M89',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m89', 'indexes': [models.Index(fields=['order'], name='m89_idx')]},
        ),
        migrations.AlterField(model_name='order', name='f90', field=models.BigIntegerField(null=False)),
        migrations.AlterField(model_name='order', name='f91', field=models.BigIntegerField(null=False)),
        # ddlgate:ignore lock-table reviewed 92
        migrations.RunSQL([("UPDATE shop_order SET f92 = %s WHERE id < %s", ['a', 92])]),
        migrations.RenameField('order', 'f93', 'g93'),  # trailing comment 93
        migrations.RenameField('order', 'f94', 'g94'),  # trailing comment 94
        migrations.CreateModel(
            name='M95',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m95', 'indexes': [models.Index(fields=['order'], name='m95_idx')]},
        ),
        migrations.RenameField('order', 'f96', 'g96'),  # trailing comment 96
        migrations.AddField(
            model_name='order',
            name='f97',
            field=models.CharField(max_length=147, null=True, blank=True, default='x97'),
        ),
        # ddlgate:ignore lock-table reviewed 98
        migrations.RunSQL([("UPDATE shop_order SET f98 = %s WHERE id < %s", ['a', 98])]),
        migrations.RenameField('order', 'f99', 'g99'),  # trailing comment 99
        # ddlgate:ignore lock-table reviewed 100
        migrations.RunSQL([("UPDATE shop_order SET f100 = %s WHERE id < %s", ['a', 100])]),
        migrations.RenameField('order', 'f101', 'g101'),  # trailing comment 101
        # ddlgate:ignore lock-table reviewed 102
        migrations.RunSQL([("UPDATE shop_order SET f102 = %s WHERE id < %s", ['a', 102])]),
        migrations.CreateModel(
            name='M103',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m103', 'indexes': [models.Index(fields=['order'], name='m103_idx')]},
        ),
        migrations.AlterField(model_name='order', name='f104', field=models.BigIntegerField(null=False)),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_105 ON shop_order (f105);
            """,
            reverse_sql='DROP INDEX idx_105',
        ),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_106 ON shop_order (f106);
            """,
            reverse_sql='DROP INDEX idx_106',
        ),
        migrations.RenameField('order', 'f107', 'g107'),  # trailing comment 107
        migrations.CreateModel(
            name='M108',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m108', 'indexes': [models.Index(fields=['order'], name='m108_idx')]},
        ),
        migrations.CreateModel(
            name='M109',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m109', 'indexes': [models.Index(fields=['order'], name='m109_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 110
        migrations.RunSQL([("UPDATE shop_order SET f110 = %s WHERE id < %s", ['a', 110])]),
        migrations.AddField(
            model_name='order',
            name='f111',
            field=models.CharField(max_length=159, null=True, blank=True, default='x111'),
        ),
        migrations.RenameField('order', 'f112', 'g112'),  # trailing comment 112
        migrations.CreateModel(
            name='M113',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m113', 'indexes': [models.Index(fields=['order'], name='m113_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 114
        migrations.RunSQL([("UPDATE shop_order SET f114 = %s WHERE id < %s", ['a', 114])]),
        migrations.CreateModel(
            name='M115',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=True)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m115', 'indexes': [models.Index(fields=['order'], name='m115_idx')]},
        ),
        migrations.AlterField(model_name='order', name='f116', field=models.BigIntegerField(null=False)),
        migrations.RunSQL(
            sql="""
                CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_117 ON shop_order (f117);
            """,
            reverse_sql='DROP INDEX idx_117',
        ),
        migrations.CreateModel(
            name='M118',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.order', db_index=False)),
                ('data', models.JSONField(default=dict)),
            ],
            options={'db_table': 'shop_m118', 'indexes': [models.Index(fields=['order'], name='m118_idx')]},
        ),
        # ddlgate:ignore lock-table reviewed 119
        migrations.RunSQL([("UPDATE shop_order SET f119 = %s WHERE id < %s", ['a', 119])]),
    ]
