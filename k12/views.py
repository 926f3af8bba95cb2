from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from k12 import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "k12/index.html",
        {"stages": selectors.stage_list(), "editions": selectors.edition_list()},
    )
