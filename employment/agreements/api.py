"""``/api/v1/employment/agreements/``: InputSerializer → one service → OutputSerializer.

Reads need an account and are scoped by ``employment.agreements.access``; writes are rate-limited per real
client address (``employment.throttles.WriteThrottle``). Signing a version other than the current one is 409.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from employment import access as employment_access
from employment.agreements import access, pdf, selectors, services
from employment.agreements.models import Agreement, AgreementStatus, AgreementVersion, Signature, SignerRole
from employment.api import WritesThrottled
from employment.models import Application
from smartedu.accounts.models import User
from smartedu.portal.client import client_ip


def _user(request: Request) -> User:
    return cast(User, request.user)


class AgreementVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = [
            "number",
            "position",
            "place",
            "salary",
            "term_months",
            "probation_months",
            "clauses",
            "previous_hash",
            "content_hash",
            "created_at",
        ]


class SignatureSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    role = serializers.ChoiceField(choices=SignerRole.choices, read_only=True)

    class Meta:
        model = Signature
        fields = ["version", "role", "signer", "signed_at", "client_ip", "content_hash"]


class AgreementSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=AgreementStatus.choices, read_only=True)
    employer = serializers.CharField(source="employer.name", read_only=True)
    university = serializers.CharField(source="university.name", read_only=True)
    position = serializers.CharField(source="application.job.title", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "application",
            "graduate",
            "employer",
            "university",
            "position",
            "status",
            "version",
            "created_at",
            "in_force_at",
            "cancel_reason",
            "cancel_requested_at",
            "cancel_graduate_at",
            "cancel_employer_at",
            "cancelled_at",
            "url",
        ]

    def get_url(self, agreement: Agreement) -> str:
        return reverse("employment:agreements-detail", args=[agreement.pk])


class AgreementDetailSerializer(serializers.Serializer):
    agreement = AgreementSerializer(source="*")
    current = AgreementVersionSerializer()
    versions = AgreementVersionSerializer(many=True)
    signatures = SignatureSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        flat = dict(data.pop("agreement"))
        flat.update(data)
        return flat


def _detail(agreement: Agreement) -> dict[str, Any]:
    view = selectors.agreement_view(agreement=agreement)
    data = AgreementSerializer(view.agreement).data
    return {
        **data,
        "current": AgreementVersionSerializer(view.current).data,
        "versions": AgreementVersionSerializer(view.versions, many=True).data,
        "signatures": SignatureSerializer(view.signatures, many=True).data,
    }


class TermsInputSerializer(serializers.Serializer):
    position = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=100)
    salary = serializers.IntegerField(min_value=1, max_value=services.MAX_SALARY)
    term_months = serializers.IntegerField(min_value=1, max_value=services.MAX_TERM_MONTHS)
    probation_months = serializers.IntegerField(min_value=0, max_value=services.MAX_PROBATION_MONTHS)
    clauses = serializers.CharField(
        max_length=services.MAX_CLAUSES, required=False, default=services.STANDARD_CLAUSES
    )

    def terms(self) -> services.Terms:
        return services.Terms(**self.validated_data)


class DraftInputSerializer(TermsInputSerializer):
    application = serializers.IntegerField(min_value=1)


class ReviseInputSerializer(TermsInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the employer edited.")

    def terms(self) -> services.Terms:
        data = dict(self.validated_data)
        data.pop("version")
        return services.Terms(**data)


class SignInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the signer read.")


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StatusParamsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=AgreementStatus.choices, required=False, allow_blank=True, default=""
    )


def _conflict(exc: services.VersionConflict) -> Response:
    return Response(
        {"version": [f"The agreement changed: it is now at version {exc.current}."], "current": exc.current},
        status=status.HTTP_409_CONFLICT,
    )


class AgreementListView(WritesThrottled, generics.ListAPIView):
    """The caller's agreements (graduate, employer, the officer's university, administrators by scope).
    ``POST`` drafts one for a hired application (its employer)."""

    serializer_class = AgreementSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    @extend_schema(parameters=[StatusParamsSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Agreement]:
        if not access.agreements_listable(self.request.user):
            raise PermissionDenied("Only graduates, employers, officers and administrators have agreements.")
        params = StatusParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.agreement_list(user=self.request.user, status=params.validated_data["status"])

    @extend_schema(
        request=DraftInputSerializer, responses={200: AgreementSerializer, 201: AgreementSerializer}
    )
    def post(self, request: Request) -> Response:
        if not access.draftable(request.user):
            raise PermissionDenied("Only verified employers draft agreements.")
        data = DraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application: Application = employment_access.access_application(
            request.user, data.validated_data["application"]
        )
        terms = services.Terms(**{k: v for k, v in data.validated_data.items() if k != "application"})
        agreement, created = services.agreement_draft(
            actor=_user(request), application=application, terms=terms, client_ip=client_ip(request)
        )
        return Response(_detail(agreement), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AgreementDetailView(WritesThrottled, APIView):
    """One agreement with its versions and signature log. ``PATCH`` (the employer) makes a new version."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=AgreementDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(access.access_agreement(request.user, pk)))

    @extend_schema(
        request=ReviseInputSerializer,
        responses={200: AgreementDetailSerializer, 409: OpenApiResponse(description="the version changed")},
    )
    def patch(self, request: Request, pk: int) -> Response:
        access.access_agreement_as_party(request.user, pk)
        data = ReviseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            agreement = services.agreement_revise(
                actor=_user(request),
                agreement_id=pk,
                terms=data.terms(),
                read_version=data.validated_data["version"],
                client_ip=client_ip(request),
            )
        except services.VersionConflict as exc:
            return _conflict(exc)
        return Response(_detail(agreement))


class AgreementSignView(WritesThrottled, APIView):
    """The graduate signs, an officer of the graduate's university confirms: ``{version}`` is the version
    read (409 if it changed). Twice is once: 201 the first time, 200 after."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=SignInputSerializer,
        responses={
            200: AgreementDetailSerializer,
            201: AgreementDetailSerializer,
            409: OpenApiResponse(description="the version changed"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        access.access_agreement_as_party(request.user, pk)
        data = SignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            agreement, _signature, created = services.agreement_sign(
                actor=_user(request),
                agreement_id=pk,
                read_version=data.validated_data["version"],
                client_ip=client_ip(request),
            )
        except services.VersionConflict as exc:
            return _conflict(exc)
        return Response(_detail(agreement), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AgreementCancelView(WritesThrottled, APIView):
    """The graduate or the employer asks to cancel (a reason first); the other consents."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CancelInputSerializer, responses=AgreementDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        access.access_agreement_as_party(request.user, pk)
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.agreement_cancel(
            actor=_user(request), agreement_id=pk, reason=data.validated_data["reason"]
        )
        return Response(_detail(agreement))


class AgreementPdfView(APIView):
    """The agreement as a PDF with the signature log and hashes: its three parties only."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="PDF")})
    def get(self, request: Request, pk: int) -> HttpResponse:
        agreement, _role = access.access_agreement_as_party(request.user, pk)
        return pdf.agreement_response(selectors.agreement_view(agreement=agreement))
