from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from employment.feeds.models import FeedFormat


class FeedImportForm(forms.Form):
    source = forms.SlugField(label=_("Source (the partner site)"), max_length=50)
    format = forms.ChoiceField(label=_("Format"), choices=FeedFormat.choices)
    full = forms.BooleanField(
        label=_("Full snapshot: close this source's jobs missing from the file"), required=False, initial=True
    )
    file = forms.FileField(label=_("Feed file"))


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner's name"), max_length=100)
