"""Personal-data protection (个人信息保护): encrypted fields, blind-index lookup, validation of
ID-card and mobile numbers, masking for public pages and audited access to full values.

See docs/architecture.md ("Personal data") and docs/operations.md (keys and rotation).
"""
