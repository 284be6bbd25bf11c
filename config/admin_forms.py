"""What the admin's model forms share."""

from collections.abc import Callable

from django import forms


class EmptyKeepsOrDefaults(forms.ModelForm):
    """Fields of ``defaults`` (name: a callable giving the default object) left empty keep the object's value; a new
    object takes the default, which the form also shows (a school, a term: "empty" never clears them)."""

    defaults: dict[str, Callable] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name, default in self.defaults.items():
                if name in self.fields and not self.initial.get(name):
                    self.initial[name] = getattr(default(), "pk", None)

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, default in self.defaults.items():
            if name in cleaned and cleaned[name] is None:
                kept = getattr(self.instance, f"{name}_id", None)
                cleaned[name] = getattr(self.instance, name) if kept is not None else default()
        return cleaned
