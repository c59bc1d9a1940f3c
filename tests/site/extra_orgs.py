"""The organisation files that `extended_site` (conftest.py) adds to a copy of the project."""

# An organisation added by a test: accents, an apostrophe and a few values.
NEW_SLUG = "cafe-ephemere"
NEW_NAME = "Café Éphémère d’Oléron"
NEW_ORG = """\
name: "Café Éphémère d’Oléron"
sector: "Restauration"
platforms: [meta]
uses:
  optimise_text: allowed
  images: forbidden
people:
  ai_referent: {name: "Inès Lambert, gérante"}
version: "0.3"
adopted: 2026-04-01
next_review: 2026-10-01
"""

# Values are text, never code: HTML, javascript: links and Jinja in every kind of field.
HOSTILE_SLUG = "hostile"
HOSTILE_NAME = "Hostile <script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }} {% if true %}x{% endif %}"
HOSTILE_ORG = """\
name: "Hostile <script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }} {% if true %}x{% endif %}"
sector: "<img src=x onerror=alert(2)> {{ 7*7 }}"
clients: ["[c](javascript:alert(3))", "{% raw %}brut{% endraw %}"]
brand_voice: "<b>gras</b> *emphase* {{ 7*7 }}"
tools:
  - name: "<script>alert(4)</script>"
    provider: "[p](javascript:alert(5))"
disclosure:
  wording: "{% if true %}x{% endif %} <a href=\\"javascript:alert(6)\\">lien</a>"
people:
  ai_referent: {name: "{{ 7*7 }}", contact: "<script>alert(7)</script>"}
version: "1.0"
"""
