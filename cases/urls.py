from django.urls import path

from . import views

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
]
