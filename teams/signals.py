from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership, Organisation
from .roles import sync_user_roles


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance, **kwargs):
    # On a cascade from deleting the user there is no one left to update.
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_user_roles(user)


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, **kwargs):
    for user in get_user_model().objects.filter(memberships__organisation=instance).distinct():
        sync_user_roles(user)
