from django.urls import path

from . import client_data_views, views

# The pages are the client's: their URL names keep the clients: namespace.
app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("<int:pk>/handover/", views.handover, name="handover"),
    path("<int:pk>/summary.pdf", views.client_summary_pdf, name="summary_pdf"),
    path("<int:pk>/notes.csv", views.notes_csv, name="notes_csv"),
    # The employment situation and the support network (cases/client_data_views.py).
    path("<int:pk>/employment/", client_data_views.employment_edit, name="employment_edit"),
    path("<int:pk>/support-network/new/", client_data_views.contact_create,
         name="contact_create"),
    path("support-network/<int:pk>/edit/", client_data_views.contact_edit, name="contact_edit"),
    path("support-network/<int:pk>/remove/", client_data_views.contact_remove,
         name="contact_remove"),
]
