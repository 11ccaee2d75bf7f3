"""
National-scale data for benchmarks (bench/generate_scale_data.py --clients N).

On top of the demo world of seed_demo it adds about 300 municipalities in 21 areas, each area
with an organisation per sector, their staff and work-ability support teams, and then N clients
with about ten rows each along the service path of DESIGN.md: whose client they are, case
managers, referrals, health checks, feedback, doctor's assessments, team meetings, support plans
with actions and follow-ups, feedback discussions, notifications and access-log rows, spread
over the last two years; and about six rows of extras each that exercise the consent branch of
the access policy: consents with their categories, recipients and confirmations, disclosure
bans, situation notes and the decisions of held team meetings.

How it is made, module by module:
- world_plan.py and world.py: the world by name from a fixed seed, created where missing and
  read back as ids.
- client_story.py draws each client's story (what happened, when, by whom) from a seeded
  random generator, with health_checks.py, team_work.py and closing.py for the steps of the
  service path, as stories.py's records: the same seed gives the same data.
- run.py takes a batch of clients at a time: it reserves the batch's primary keys, one
  statement per parent table (on PostgreSQL the sequence is moved past them), so child rows
  name their parents without asking the database; rows.py turns the stories into rows of
  tables.py's tables, whose columns come from the models; writers.py writes them with COPY on
  PostgreSQL and with executemany elsewhere, a batch per transaction, so memory stays flat. On
  PostgreSQL a second thread writes one batch while the next one is drawn.
- extras.py draws each client's extras from facts of the story (or, in the add-on pass
  extras_only.py, `--extras-only`, from the same facts read back from a database generated
  without them), each client from a random generator seeded by the seed and their code, so
  both ways give the same rows; extras_rows.py turns them into rows of tables.EXTRA_TABLES.
- After all is written, run.after_generation() rebuilds what signals keep in step elsewhere
  (the access rules' conclusions), as COPY passes them by.
- command.py checks the database, runs it and reports.

Kainuu is the demo's area: its clients (a few thousand) are the demo organisations' clients,
its team is the demo team, which meets this week and next, and the demo users take their share
of the work beside the generated staff there.
"""
