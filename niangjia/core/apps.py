from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "niangjia.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from niangjia.core import keys  # noqa: F401 - registers the deploy check of the keyring
