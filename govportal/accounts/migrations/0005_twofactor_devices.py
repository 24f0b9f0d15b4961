"""Two-factor devices of our own, replacing django-otp's otp_totp and otp_static plugins.

The authenticator secret is encrypted with the field keys; recovery codes are kept as keyed
hashes only. The plugins were never deployed with data, so nothing is carried over.
"""

import django.db.models.deletion
import django.utils.timezone
import govportal.accounts.models
import govportal.privacy.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_three_admin_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuthenticatorDevice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('key', govportal.privacy.fields.EncryptedCharField(default=govportal.accounts.models.new_totp_key, max_length=80, validators=[govportal.accounts.models.validate_totp_key], verbose_name='密钥')),
                ('step', models.PositiveSmallIntegerField(default=30, verbose_name='时间步长（秒）')),
                ('t0', models.BigIntegerField(default=0, verbose_name='起始时间（Unix 秒）')),
                ('digits', models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6, verbose_name='位数')),
                ('tolerance', models.PositiveSmallIntegerField(default=1, verbose_name='允许误差（步）')),
                ('drift', models.SmallIntegerField(default=0, verbose_name='时钟偏差（步）')),
                ('last_t', models.BigIntegerField(default=-1, verbose_name='上次通过的时间步')),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '身份验证器',
                'verbose_name_plural': '身份验证器',
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_hash', models.CharField(max_length=64, verbose_name='恢复码哈希')),
                ('key_id', models.CharField(max_length=8, verbose_name='密钥编号')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='生成时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recovery_codes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '恢复码',
                'verbose_name_plural': '恢复码',
            },
        ),
    ]
