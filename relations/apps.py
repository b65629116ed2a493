from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = "Course content"

    def ready(self):
        from relations import page_cache, search_index

        page_cache.connect()
        search_index.connect()
