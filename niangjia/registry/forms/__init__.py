"""Forms of the registry's pages: `edit` (registering, a household's and a member's facts), `imports` (upload).

The lists' filters are not Django forms: each is declared once in `registry.selectors`
(`EnterpriseFilter`, `WorkerFilter`) and shown with `core.filtering.filter_fields`.
"""
