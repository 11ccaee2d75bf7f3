"""The knowledge-management dashboard and its exports."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tyokyky.exports import csv_response, xlsx_response

from . import charts, reports
from .forms import DashboardForm

# --- Knowledge management -----------------------------------------------------------------------
# Aggregates only: no client is shown, so nothing is written to the clients' access log.


def _dashboard(request) -> tuple[DashboardForm, reports.Dashboard]:
    form = DashboardForm(request.GET)
    return form, reports.cached_build(*form.selection())


def _query(form: DashboardForm) -> str:
    """The choices as counted, for the exports' links: never a range of days."""
    if not form.is_valid():
        return ""
    period, municipality = form.selection()
    query = QueryDict(mutable=True)
    query.update({"kind": period.kind, "period": period.key})
    if municipality:
        query["municipality"] = municipality.pk
    return query.urlencode()


@require_GET
@permission_required("plans.view_dashboard", raise_exception=True)
def dashboard(request):
    form, numbers = _dashboard(request)
    return render(request, "reporting/dashboard.html", {
        "form": form, "dashboard": numbers, "tables": reports.tables(numbers),
        "filters": reports.filters(numbers), "query": _query(form),
        "updated": reports.updated(numbers),
        "trend": charts.line_chart(numbers.months, [
            ("checks", _("Health checks")), ("referrals", _("Referrals")),
            ("meetings", _("Team meetings")),
        ], lambda row: reports.month_label(row["month"])),
        "checks_bars": charts.bar_chart(numbers.by_municipality, "checks", "municipality"),
        "referral_bars": charts.bar_chart(numbers.by_municipality, "referrals",
                                          "municipality"),
    })


@require_GET
@permission_required("plans.view_dashboard", raise_exception=True)
def dashboard_export(request, file_format):
    form = DashboardForm(request.GET)
    if not form.is_valid():  # the page says why; a file of other numbers would not
        return HttpResponseBadRequest(
            " ".join(str(error) for errors in form.errors.values() for error in errors),
            content_type="text/plain; charset=utf-8")
    numbers = reports.cached_build(*form.selection())
    filters = reports.filters(numbers)
    name = f"tyokyky-luvut-{numbers.period.key}"
    tables = reports.tables(numbers)
    if file_format == "xlsx":
        return xlsx_response(f"{name}.xlsx", [
            (table.title, [*filters, [], [str(h) for h in table.header], *table.rows])
            for table in tables
        ])
    rows = [*filters]
    for table in tables:
        rows += [[], [str(table.title)], [str(h) for h in table.header], *table.rows]
    return csv_response(f"{name}.csv", rows[0], rows[1:])
