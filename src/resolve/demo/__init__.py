"""The demo partnership that ``resolve demo`` loads for trying Resolve locally; never in production.

It sits above the domain apps (partnerships, disagreements, accounts) because it uses all of them,
so that none of them has to import it or each other for its sake.
"""
