"""Evidence: the element matrix for art. 273f Sr, items with chain of custody, dossiers."""
