"""
The rows of the extras (extras.py) for a batch: consents with their categories, sectors,
recipients and confirmations, disclosure bans, situation notes and meeting decisions. Each item
of the batch has the client's `id` and its `extras` (None: nothing drawn for it).
"""


def _extras(items):
    for item in items:
        if item.extras is not None:
            yield item.id, item.extras


def _consents(items):
    for client_id, extras in _extras(items):
        for consent in extras.consents:
            yield client_id, consent


class ExtrasRows:
    """A mixin of rows.Rows: one method per table of tables.EXTRA_TABLES."""

    def consents(self, items, row):
        for client_id, c in _consents(items):
            yield row(
                id=c.id, client_id=client_id, purpose=c.purpose, method=c.method,
                heard_by_id=c.heard_by, valid_from=c.valid_from, valid_until=c.valid_until,
                recorded_by_id=c.recorded_by, given_by_client=c.given_by_client,
                recorded_at=c.recorded_at, recorded_by_organisation_id=c.organisation,
                confirmed_by_client_at=c.confirmed_by_client_at, revoked_at=c.revoked_at,
                revoked_by_id=c.revoked_by, revoked_by_client=c.revoked_by_client,
                revocation_reason=c.revocation_reason,
            )

    def consent_categories(self, items, row):
        for _client_id, c in _consents(items):
            for category in c.categories:
                yield row(consent_id=c.id, category=category)

    def consent_sectors(self, items, row):
        for _client_id, c in _consents(items):
            for sector in c.sectors:
                yield row(consent_id=c.id, sector=sector)

    def consent_recipients(self, items, row):
        for _client_id, c in _consents(items):
            for organisation in c.recipients:
                yield row(consent_id=c.id, organisation_id=organisation)

    def consent_confirmations(self, items, row):
        for _client_id, c in _consents(items):
            for organisation, user, at in c.confirmations:
                yield row(consent_id=c.id, organisation_id=organisation, confirmed_by_id=user,
                          confirmed_at=at)

    def disclosure_bans(self, items, row):
        for client_id, extras in _extras(items):
            for b in extras.bans:
                yield row(
                    client_id=client_id, organisation_id=b.organisation, sector=b.sector,
                    reason=b.reason, recorded_by_id=b.recorded_by,
                    recorded_by_client=b.by_client, recorded_at=b.recorded_at,
                    recorded_by_organisation_id=b.recorded_by_organisation,
                    lifted_at=b.lifted_at, lifted_by_id=b.lifted_by,
                    lifted_by_client=b.by_client and b.lifted_at is not None,
                )

    def situation_notes(self, items, row):
        for client_id, extras in _extras(items):
            for n in extras.notes:
                yield row(client_id=client_id, organisation_id=n.organisation,
                          created_by_id=n.created_by, created_at=n.created_at,
                          category=n.category, text=n.text)

    def meeting_decisions(self, items, row):
        for _client_id, extras in _extras(items):
            d = extras.decision
            if d:
                yield row(
                    id=d.id, meeting_id=d.meeting.id, realistic_goal=d.realistic_goal,
                    support=d.support, financial_support=d.financial_support,
                    information_for_doctor=d.information_for_doctor,
                    questions_for_doctor=d.questions_for_doctor, doctor_id=d.doctor,
                    statement_possible_now=d.statement_possible_now,
                    doctor_appointment=d.doctor_appointment,
                    feedback_discussion_holder_id=d.feedback_discussion_holder,
                    feedback_discussion_at=d.feedback_discussion_at, follow_up=d.follow_up,
                    follow_up_by_id=d.follow_up_by, decided_by_id=d.decided_by,
                    updated_at=d.updated_at,
                )

    def decision_case_managers(self, items, row):
        for _client_id, extras in _extras(items):
            d = extras.decision
            if d:
                for user in dict.fromkeys(d.case_managers):
                    yield row(meetingdecision_id=d.id, user_id=user)
