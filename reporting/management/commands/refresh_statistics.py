from django.core.management.base import BaseCommand

from reporting import facts


class Command(BaseCommand):
    help = ("Count the dashboard's facts of the months that can have changed (the month "
            "running, the one before, months with late feedback); --all counts every month.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="count every month kept, not only those that can have changed")

    def handle(self, *args, everything=False, **options):
        refreshed = facts.refresh(everything=everything)
        seconds = (refreshed.finished_at - refreshed.started_at).total_seconds()
        self.stdout.write(f"Counted {len(refreshed.months.split())} months in {seconds:.1f} s.")
