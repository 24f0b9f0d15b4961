import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("interaction", "0002_letter_monthly_report"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Open311Client",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="接入的应用或单位，如“城市随手拍 App”。", max_length=100, verbose_name="名称")),
                ("key_prefix", models.CharField(editable=False, max_length=12, verbose_name="密钥前缀")),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True, verbose_name="密钥摘要")),
                ("active", models.BooleanField(default=True, help_text="取消勾选即吊销该密钥。", verbose_name="启用")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="最近使用时间")),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="创建人")),
                ("site", models.ForeignKey(blank=True, help_text="只能向该网站的信箱提交；留空表示站群内所有网站。", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="wagtailcore.site", verbose_name="限定网站")),
            ],
            options={
                "verbose_name": "Open311 接入客户端",
                "verbose_name_plural": "Open311 接入客户端",
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
