"""Inputs to typed records to RDF quads. Imports only `ontologies` among litkg packages."""
