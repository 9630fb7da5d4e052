from django.db import models


class LedgerEntry(models.Model):
    """The answers of one response as the write path's hooks last described them."""

    response_id = models.IntegerField(unique=True)
    answers = models.JSONField(default=list)  # sorted [item, option, value, n/a, text] rows

    class Meta:
        app_label = "probe"

    def __str__(self) -> str:
        return f"response {self.response_id}"
