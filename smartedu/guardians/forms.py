from django import forms
from django.utils.translation import gettext_lazy as _


class LinkForm(forms.Form):
    code = forms.CharField(
        label=_("Your child's link code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_(
            "Your child finds it on their account's family page (家庭). It works once, for 30 minutes."
        ),
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(label=_("I consent"), required=False)
