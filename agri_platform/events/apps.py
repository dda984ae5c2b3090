from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "agri_platform.events"
    label = "events"
    verbose_name = "Events, notifications and webhooks"
