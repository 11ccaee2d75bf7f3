"""The data package's PDF as a document that may render in the background
(tyokyky/documents.py): built by rights.views for the request, the worker and the download."""

from consents.models import Action
from tyokyky.documents import register

KIND = "rights.package"

register(KIND, label=Action.DATA_PACKAGE_PDF.label, build="rights.views.package_document",
         url_name="rights:package_pdf")
