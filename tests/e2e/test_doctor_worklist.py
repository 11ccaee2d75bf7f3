"""The doctor's worklist in the browser: Tiina's team meeting named the doctor with its
questions; the doctor finds her on the worklist, opens the assessment form with the team's
questions, the nurse's limitations and the summary's PDF, records the assessment, and Tiina
leaves the list."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.meetings.test_doctor_worklist import (
    LIMITATIONS,
    QUESTIONS,
    checked,
    decide,
    team_meeting,
)
from tests.stories import tiina_story

pytestmark = pytest.mark.e2e


def fi(text: str) -> str:
    with translation.override("fi"):
        return gettext(text)


def test_the_doctor_answers_the_teams_questions(transactional_db, demo, page, live_server,
                                                 log_in):
    story = tiina_story(demo)
    checked(story, appointment=False)
    meeting = team_meeting(story)
    decide(story, meeting, demo["doctor"])
    assessment_url = reverse("meetings:doctor_assessment", args=[meeting.pk])
    summary_url = reverse("meetings:doctor_summary_pdf", args=[meeting.pk])

    log_in("doctor")
    page.get_by_role("link", name=fi("Doctor's worklist"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Doctor's worklist"))
    expect(page.get_by_role("row", name="Tiina Leinonen")).to_be_visible()
    page.locator(f'a[href="{assessment_url}"]').click()

    expect(page.get_by_text(QUESTIONS)).to_be_visible()
    expect(page.get_by_text(LIMITATIONS)).to_be_visible()
    expect(page.locator(f'a[href="{summary_url}"]')).to_have_count(1)
    summary = page.request.get(f"{live_server.url}{summary_url}")
    assert summary.status == 200
    assert summary.headers["content-type"] == "application/pdf"

    page.locator('input[name="conclusion"][value="unemployed"]').check()
    page.locator('[name="justification"]').fill("Istumatyö sopii tauotettuna")
    page.locator('[name="continuation_plan"]').fill("Työkokeilu kuvankäsittelyssä")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text(fi("Assessment recorded. The team meeting's questions are "
                               "answered."))).to_be_visible()

    page.get_by_role("link", name=fi("Doctor's worklist"), exact=True).click()
    expect(page.get_by_role("row", name="Tiina Leinonen")).to_have_count(0)
    expect(page.locator(f'a[href="{assessment_url}"]')).to_have_count(0)
