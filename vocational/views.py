from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vocational import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "vocational/index.html", {"categories": selectors.category_list()})
