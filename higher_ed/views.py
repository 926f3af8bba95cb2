from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from higher_ed import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "higher_ed/index.html", {"categories": selectors.category_list()})
