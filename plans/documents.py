"""The printed plan and process summary as documents that may render in the background
(tyokyky/documents.py): built by plans.views for the request, the worker and the download."""

from consents.models import Action
from tyokyky.documents import register

register("plans.plan", label=Action.PLAN_PDF.label, build="plans.views.plan_document",
         url_name="plans:plan_pdf")
register("plans.process", label=Action.PROCESS_PDF.label, build="plans.views.process_document",
         url_name="plans:process_pdf")
