from celery import shared_task


# Nudged after the request that asks for a long PDF, and by the sweep below. Two at once are
# safe: the document is leased to one worker (tyokyky/documents.py). The hard limit ends a
# runaway render before the lease does, so the sweep tries it again, at most three times.
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=90, time_limit=100)
def render_document(document_id: str) -> bool:
    from . import documents

    return documents.render_waiting(document_id)


# Run by beat every minute: deletes expired documents and nudges the stranded ones.
@shared_task(ignore_result=True)
def sweep_documents() -> int:
    from . import documents

    return len(documents.sweep())
