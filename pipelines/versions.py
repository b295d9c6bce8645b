"""Versions of the stages whose output lands in a document's graph.

Bump DOCUMENT_STAGES whenever a change alters what a document's graph holds: the digest
of every document graph includes it, so the next build replaces graphs built the old way.
"""

DOCUMENT_STAGES = "documents-1;citations-1;resolve-1"
