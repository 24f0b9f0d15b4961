"""Password rotation and history, two-factor lockout fields, the 2FA policy setting.

Existing accounts count as having set their password now (the rotation clock starts at this
migration) and their current password is the first entry of their history.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models




def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    PasswordHistory = apps.get_model("accounts", "PasswordHistory")
    now = django.utils.timezone.now()
    User.objects.filter(password_changed_at__isnull=True).update(password_changed_at=now)
    rows = [
        PasswordHistory(user_id=pk, password=password, created_at=now)
        for pk, password in User.objects.values_list("pk", "password").iterator()
        if password and not password.startswith("!")
    ]
    PasswordHistory.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_alter_user_options_alter_user_display_name_and_more'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='password_changed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='密码修改时间'),
        ),
        migrations.AddField(
            model_name='user',
            name='two_factor_failures',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='两步验证连续失败次数'),
        ),
        migrations.AddField(
            model_name='user',
            name='two_factor_locked_until',
            field=models.DateTimeField(blank=True, null=True, verbose_name='两步验证锁定至'),
        ),
        migrations.CreateModel(
            name='PasswordHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='密码哈希')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='设置时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='password_history', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '历史密码',
                'verbose_name_plural': '历史密码',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='TwoFactorPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('require_superusers', models.BooleanField(default=True, help_text='Django 超级管理员账号必须启用两步验证。', verbose_name='超级管理员必须启用')),
                ('require_operators', models.BooleanField(default=True, help_text='持有“可管理站群”权限的集约化平台管理员必须启用两步验证。', verbose_name='平台运营人员必须启用')),
                ('required_groups', models.ManyToManyField(blank=True, help_text='这些角色（组）的成员必须启用两步验证才能使用管理后台。', related_name='+', to='auth.group', verbose_name='必须启用的角色')),
            ],
            options={
                'verbose_name': '两步验证策略',
                'verbose_name_plural': '两步验证策略',
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
