"""Send Django's database cache to its own connection (the "cache" alias, when configured)."""


class CacheRouter:
    def _alias(self, model):
        from django.conf import settings

        if model._meta.app_label == "django_cache" and "cache" in settings.DATABASES:
            return "cache"
        return None

    def db_for_read(self, model, **hints):
        return self._alias(model)

    def db_for_write(self, model, **hints):
        return self._alias(model)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == "cache":
            return app_label == "django_cache"
        return None
