"""Page forms of classes: they check the shape of the input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartedu.portal.registry import platforms


class ClassForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=100, help_text=_("For instance 七年级（3）班."))
    platform = forms.ChoiceField(label=_("Sub-platform"), choices=())
    label = forms.CharField(label=_("Grade or subject"), max_length=100, required=False)
    institution = forms.CharField(label=_("School or college"), max_length=200, required=False)

    def __init__(self, *args: Any, with_platform: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no ASCII colon after Chinese labels
        super().__init__(*args, **kwargs)
        if with_platform:
            self.fields["platform"].choices = [(p.key, p.name) for p in platforms()]  # type: ignore[attr-defined]
        else:
            del self.fields["platform"]


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=32,
        help_text=_("The code your teacher gave you, for instance K7M3Q9P."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
