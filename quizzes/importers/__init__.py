"""Question importers: parse -> validate everything -> write once (see ``base``)."""
