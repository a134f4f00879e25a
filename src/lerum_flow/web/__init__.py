"""The web door: an HTTP API and Swedish server-rendered pages over the same `Governance` and
views the command line uses, with login through the municipality's OpenID Connect provider.

Nothing here decides a governance rule: who may do what follows from the
positions a person holds on the day, checked by the application itself.
"""
