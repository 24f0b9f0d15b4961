"""A case type that exists only in the test settings (like privacy/tests/testapp).

Installed by ``govportal/settings/test.py``; it registers two kinds with the personal
centre so the tests can prove merging, ordering, filters, pagination and lookup.
"""

from django.apps import AppConfig


class PersonalTestAppConfig(AppConfig):
    name = "govportal.personal.tests.testapp"
    label = "personal_tests"
    verbose_name = "个人中心（测试）"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from govportal.personal.cases import register_case_type

        from .cases import SampleCaseType

        register_case_type(SampleCaseType("sample_request", "测试申请", "申请人手机号码后4位"))
        register_case_type(SampleCaseType("sample_letter", "测试来信", "回执上的验证码"))
