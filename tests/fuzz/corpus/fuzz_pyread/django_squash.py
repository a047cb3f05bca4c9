from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [('blog', '0001_initial'), ('blog', '0002_post_title'), ('blog', '0002_post_body'), ('blog', '0003_post_tags')]
    dependencies = [('shop', '__first__')]

    operations = [
        migrations.RunSQL("SELECT 1"),
    ]
