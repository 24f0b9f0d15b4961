"""``{% policy_interpretations page as related %}``: what the 政策解读/回应关切 block lists."""

from django import template

from ..relations import related_for_policy

register = template.Library()


@register.simple_tag(takes_context=True)
def policy_interpretations(context, page):
    return related_for_policy(page, context.get("request"))
