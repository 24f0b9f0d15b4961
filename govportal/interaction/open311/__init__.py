"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) for location-based 来信.

``services`` maps the spec onto mailboxes, categories and letters; ``formats`` writes XML
and JSON; ``views``/``urls`` are the endpoints under ``/open311/v2/``; ``wagtail_hooks``
is the admin for API clients (:class:`~govportal.interaction.models.Open311Client`).
"""
