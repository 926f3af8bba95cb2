from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from employment import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "employment/index.html", {"industries": selectors.industry_list()})
