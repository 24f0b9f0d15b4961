"""``{% load privacy %}``: masking filters for public templates, ``{% reveal %}`` for staff.

{{ letter.name|mask_name }}   {{ letter.phone|mask_phone }}   {{ reply|mask_text }}
{{ letter|masked:"phone" }}   {% reveal letter "phone" %}
"""

from django import template

from govportal.privacy import access, masking

register = template.Library()

for _name in ("mask_name", "mask_phone", "mask_id_card", "mask_address", "mask_email"):
    register.filter(_name, getattr(masking, _name))

# Masking adds only ``*`` and keeps the rest, so safe (already escaped) text stays safe.
register.filter("mask_text", masking.mask_text, is_safe=True)


@register.filter
def masked(obj, field_name: str) -> str:
    return access.masked(obj, field_name)


@register.simple_tag(takes_context=True)
def reveal(context, obj, field_name: str) -> str:
    """The full value if the current user may see it (the view is audited), else masked."""
    return access.reveal(context.get("request"), obj, field_name)
