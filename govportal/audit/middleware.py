from .context import using_request


class AuditContextMiddleware:
    """Makes the current request (user, IP) known to audit records written anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with using_request(request):
            return self.get_response(request)
