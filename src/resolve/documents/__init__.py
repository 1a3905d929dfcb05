"""Documents: the record for the child's file and each agency's file, and the reports to the board.

PDFs are rendered by WeasyPrint from the same Django templates as the pages (``render.pdf``), with a
URL fetcher that serves only the app's own static files; Word documents are built with python-docx
(``render.docx_document``). Every document made is itself an audit event (``Verb.DOCUMENT_MADE``),
and its footer carries the reference, when it was made, who made it and the security marking.
"""
