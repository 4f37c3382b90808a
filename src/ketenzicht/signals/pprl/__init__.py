"""Linkage that keeps identities at their source (privacy-preserving record linkage).

Each organisation encodes its own records with a secret the platform never holds
(``keys``), under a schema that is versioned data (``schema``, ``schema_v1.json``);
the server compares encodings only (``link``). See docs/domains/signals-linkage.md.
"""
