"""`drillbook lsp`: a language server for workflow playbooks (DESIGN §8, `drillbook[lsp]`).

Everything an editor asks (diagnostics, hover, definition, references, symbols, code
actions, completion) is answered from one `Analysis` of the open text, built with the same
parser, checks and configuration as `drillbook lint`. Only `server` imports pygls; the
other modules speak in the model's own spans (1-based lines and code-point columns), so
they are tested without an editor and reusable by the command line (`fixes`).
"""
