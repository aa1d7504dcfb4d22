"""The HighLevel API as the importer uses it: request and answer shapes, and the calls."""
