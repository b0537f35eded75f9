"""`drillbook site`: a browsable, searchable static site of a folder of playbooks — an index
with lint status, one report page per document, an agents page, a rules page and offline
search — written atomically and rebuilt incrementally. Also the MkDocs plugin
(`compiler.site.mkdocs_plugin`)."""
