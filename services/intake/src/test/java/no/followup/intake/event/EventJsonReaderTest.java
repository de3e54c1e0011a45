package no.followup.intake.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import no.followup.events.Actor;
import no.followup.events.Benefit;
import no.followup.events.CohortDefined;
import no.followup.events.DeclineReason;
import no.followup.events.ParticipantReferred;
import no.followup.events.ReferralDeclined;
import no.followup.events.ReferralSource;
import no.followup.events.BenefitGranted;
import no.followup.events.CancelledBy;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.CoordinatorAssigned;
import no.followup.events.EducationKind;
import no.followup.events.EducationStarted;
import no.followup.events.ExitReason;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.IndividualPlanStarted;
import no.followup.events.JobKind;
import no.followup.events.JobStarted;
import no.followup.events.MappingCompleted;
import no.followup.events.MappingInstrument;
import no.followup.events.Measure;
import no.followup.events.MeasureEnded;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingCancelled;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingRescheduled;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ParticipantErased;
import no.followup.events.ParticipantExited;
import no.followup.events.ParticipantMoved;
import no.followup.events.ServiceEnded;
import no.followup.events.ServiceStarted;
import no.followup.events.SpecialistCapacitySet;
import no.followup.events.StaffRole;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonReaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final String EVENT_ID = "6f1c2a3e-3b7e-4c1a-9a57-0d7a3c1f5e21";

  private final EventJsonReader reader = new EventJsonReader();

  /** A valid envelope around {@code payloadJson}; tests change single fields of it. */
  private static ObjectNode event(String type, String payloadJson) {
    try {
      ObjectNode event = (ObjectNode) JSON.readTree("""
          {
            "eventId": "%s",
            "participantId": "p-7f3a9c",
            "officeId": "0403",
            "actor": {"role": "ACTIVITY_COORDINATOR", "staffId": "s-12"},
            "occurredAt": "2026-11-23T08:00:00Z",
            "recordedAt": "2026-11-23T09:05:00+01:00",
            "cohortId": "optimist",
            "type": "%s"
          }""".formatted(EVENT_ID, type));
      if (payloadJson != null) {
        event.set("payload", JSON.readTree(payloadJson));
      }
      if (type.equals("CohortDefined")) {
        event.put("participantId", "cohort:optimist");
      }
      if (type.equals("SpecialistCapacitySet")) {
        event.put("participantId", "specialist:s-40");
      }
      return event;
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static FollowUpEvent expected(SpecificRecord payload) {
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.fromString(EVENT_ID))
        .setParticipantId(payload instanceof CohortDefined ? "cohort:optimist"
            : payload instanceof SpecialistCapacitySet ? "specialist:s-40" : "p-7f3a9c")
        .setOfficeId("0403")
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, "s-12"))
        .setOccurredAt(Instant.parse("2026-11-23T08:00:00Z"))
        .setRecordedAt(Instant.parse("2026-11-23T08:05:00Z"))
        .setCohortId("optimist")
        .setPayload(payload)
        .build();
  }

  private static final Instant TOMORROW = Instant.parse("2026-11-24T10:00:00Z");

  static Stream<Arguments> everyPayloadType() {
    return Stream.of(
        Arguments.of("ParticipantEnrolled",
            "{\"targetGroups\": [\"YOUTH_UNDER_30\", \"IMMIGRANTS\"], \"coordinatorId\": \"s-12\", \"counsellorId\": \"s-20\"}",
            new ParticipantEnrolled(List.of(TargetGroup.YOUTH_UNDER_30, TargetGroup.IMMIGRANTS), "s-12", "s-20")),
        Arguments.of("CoordinatorAssigned", "{\"coordinatorId\": \"s-13\"}", new CoordinatorAssigned("s-13")),
        Arguments.of("MappingCompleted", "{\"instrument\": \"INFLOW24\"}", new MappingCompleted(MappingInstrument.INFLOW24)),
        Arguments.of("MeetingScheduled",
            "{\"meetingId\": \"m-1\", \"startsAt\": \"2026-11-24T10:00:00Z\", \"kind\": \"HOME_VISIT\"}",
            new MeetingScheduled("m-1", TOMORROW, MeetingKind.HOME_VISIT)),
        Arguments.of("MeetingRescheduled",
            "{\"meetingId\": \"m-1\", \"startsAt\": \"2026-11-24T11:00:00+01:00\"}",
            new MeetingRescheduled("m-1", TOMORROW, null)),
        Arguments.of("MeetingCancelled", "{\"meetingId\": \"m-1\", \"cancelledBy\": \"PARTICIPANT\"}",
            new MeetingCancelled("m-1", CancelledBy.PARTICIPANT)),
        Arguments.of("MeetingAttended", "{\"meetingId\": \"m-1\"}", new MeetingAttended("m-1")),
        Arguments.of("MeetingMissed", "{\"meetingId\": \"m-1\"}", new MeetingMissed("m-1")),
        Arguments.of("HomeVisitCompleted", "{\"meetingId\": null}", new HomeVisitCompleted(null)),
        Arguments.of("ContactMade", "{\"channel\": \"SMS\", \"reached\": false}", new ContactMade(ContactChannel.SMS, false)),
        Arguments.of("ServiceStarted", "{\"service\": \"JOB_SUPPORT_IPS\", \"specialistId\": \"s-40\"}",
            new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-40")),
        Arguments.of("ServiceEnded", "{\"service\": \"HEALTH_SUPPORT\", \"specialistId\": \"s-41\"}",
            new ServiceEnded(SupportService.HEALTH_SUPPORT, "s-41")),
        Arguments.of("MeasureStarted", "{\"measure\": \"AFT\"}", new MeasureStarted(Measure.AFT)),
        Arguments.of("MeasureEnded", "{\"measure\": \"KVP\"}", new MeasureEnded(Measure.KVP)),
        Arguments.of("JobStarted", "{\"kind\": \"APPRENTICESHIP\", \"hoursPerWeek\": 30}", new JobStarted(JobKind.APPRENTICESHIP, 30)),
        Arguments.of("EducationStarted", "{\"kind\": \"LANGUAGE_TRAINING\"}", new EducationStarted(EducationKind.LANGUAGE_TRAINING)),
        Arguments.of("BenefitGranted", "{\"benefit\": \"AAP\"}", new BenefitGranted(Benefit.AAP)),
        Arguments.of("ParticipantMoved", "{\"toMunicipality\": \"3421\"}", new ParticipantMoved("3421")),
        Arguments.of("FunctionScoreRecorded",
            "{\"physicalFitness\": 1, \"feelings\": 2, \"dailyActivities\": 3, \"socialActivities\": 4,"
                + " \"changeInHealth\": 5, \"overallHealth\": 3, \"pain\": 2}",
            new FunctionScoreRecorded(1, 2, 3, 4, 5, 3, 2)),
        Arguments.of("IndividualPlanStarted", "{}", new IndividualPlanStarted()),
        Arguments.of("ParticipantExited", "{\"reason\": \"ORDINARY_WORK\"}", new ParticipantExited(ExitReason.ORDINARY_WORK)),
        Arguments.of("ParticipantErased", "{}", new ParticipantErased()),
        Arguments.of("CohortDefined", COHORT,
            new CohortDefined("Gjøvik, unge og flyktningkvinner", List.of("0403", "3407"),
                List.of(TargetGroup.YOUTH_UNDER_30, TargetGroup.REFUGEE_WOMEN), LocalDate.of(2019, 1, 1),
                LocalDate.of(2021, 12, 31), 0.6, List.of(LocalDate.of(2021, 12, 31)))),
        Arguments.of("ParticipantReferred", "{\"targetGroups\": [\"REFUGEE_WOMEN\"], \"source\": \"COUNSELLOR\"}",
            new ParticipantReferred(List.of(TargetGroup.REFUGEE_WOMEN), ReferralSource.COUNSELLOR)),
        Arguments.of("ReferralDeclined", "{\"reason\": \"NOT_IN_TARGET_GROUP\"}",
            new ReferralDeclined(DeclineReason.NOT_IN_TARGET_GROUP)),
        Arguments.of("SpecialistCapacitySet", "{\"specialistId\": \"s-40\", \"fteShare\": 0.5}",
            new SpecialistCapacitySet("s-40", 0.5)));
  }

  private static final String COHORT = """
      {"name": "Gjøvik, unge og flyktningkvinner", "offices": ["0403", "3407"],
       "targetGroups": ["YOUTH_UNDER_30", "REFUGEE_WOMEN"], "periodStart": "2019-01-01", "periodEnd": "2021-12-31",
       "workOrEducationGoal": 0.6, "reportingDates": ["2021-12-31"]}""";

  @Test
  void aCohortsDefinitionHoldsTogether() {
    ObjectNode backwards = event("CohortDefined", COHORT);
    ((ObjectNode) backwards.get("payload")).put("periodEnd", "2018-12-31");
    assertThat(fields(reader.read(backwards, NOW).errors())).containsExactly("payload.periodEnd");
    ObjectNode reportingTooEarly = event("CohortDefined", COHORT);
    ((ObjectNode) reportingTooEarly.get("payload")).putArray("reportingDates").add("2018-12-31");
    assertThat(fields(reader.read(reportingTooEarly, NOW).errors())).containsExactly("payload.reportingDates");

    ObjectNode goal = event("CohortDefined", COHORT);
    ((ObjectNode) goal.get("payload")).put("workOrEducationGoal", 60);
    assertThat(reader.read(goal, NOW).errors()).singleElement()
        .satisfies(e -> assertThat(e.field()).isEqualTo("payload.workOrEducationGoal"));

    ObjectNode noOffice = event("CohortDefined", COHORT);
    ((ObjectNode) noOffice.get("payload")).putArray("offices");
    assertThat(fields(reader.read(noOffice, NOW).errors())).contains("payload.offices");

    ObjectNode badOffice = event("CohortDefined", COHORT);
    ((ObjectNode) badOffice.get("payload")).putArray("offices").add("Trysil");
    assertThat(fields(reader.read(badOffice, NOW).errors())).containsExactly("payload.offices[0]");

    ObjectNode farDate = event("CohortDefined", COHORT);
    ((ObjectNode) farDate.get("payload")).putArray("reportingDates").add("2045-01-01");
    assertThat(fields(reader.read(farDate, NOW).errors())).containsExactly("payload.reportingDates");

    ObjectNode controlCharacters = event("CohortDefined", COHORT);
    ((ObjectNode) controlCharacters.get("payload")).put("name", "OPTIMIST\u0000");
    assertThat(fields(reader.read(controlCharacters, NOW).errors())).containsExactly("payload.name");
  }

  /** A capacity is a share of a position (figures' CaseloadRange bounds it), keyed by its specialist. */
  @Test
  void aSpecialistsCapacityIsABoundedShareKeyedByTheSpecialist() {
    for (String share : List.of("0", "0.05", "1.5", "-1")) {
      assertThat(reader.read(event("SpecialistCapacitySet", "{\"specialistId\": \"s-40\", \"fteShare\": " + share + "}"),
          NOW).errors()).as(share).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("payload.fteShare");
            assertThat(e.message()).contains("0.1", "1");
          });
    }
    ObjectNode otherSpecialist = event("SpecialistCapacitySet", "{\"specialistId\": \"s-41\", \"fteShare\": 0.5}");
    assertThat(fields(reader.read(otherSpecialist, NOW).errors())).containsExactly("participantId");
    String longId = "s-" + "x".repeat(60);
    ObjectNode tooLong = event("SpecialistCapacitySet", "{\"specialistId\": \"" + longId + "\", \"fteShare\": 0.5}");
    assertThat(fields(reader.read(tooLong, NOW).errors())).as("its key would not fit a participantId")
        .contains("payload.specialistId");
    ObjectNode tooLongToGetACapacity = event("ServiceStarted",
        "{\"service\": \"JOB_SUPPORT_IPS\", \"specialistId\": \"" + longId + "\"}");
    assertThat(fields(reader.read(tooLongToGetACapacity, NOW).errors())).as("such a specialist could never get a capacity")
        .containsExactly("payload.specialistId");
    ObjectNode participantWithASpecialistKey = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    participantWithASpecialistKey.put("participantId", "specialist:s-40");
    assertThat(fields(reader.read(participantWithASpecialistKey, NOW).errors())).containsExactly("participantId");
  }

  /** IPS is the job specialist's service (figures' Ips); the contract retires it as a measure to start. */
  @Test
  void ipsIsStartedAsTheJobSpecialistsServiceNotAsAMeasure() {
    assertThat(reader.read(event("MeasureStarted", "{\"measure\": \"IPS\"}"), NOW).errors()).singleElement()
        .satisfies(e -> {
          assertThat(e.field()).isEqualTo("payload.measure");
          assertThat(e.message()).contains("ServiceStarted", "JOB_SUPPORT_IPS");
        });
    assertThat(reader.read(event("MeasureEnded", "{\"measure\": \"IPS\"}"), NOW).errors())
        .as("an IPS measure of an older event can still be ended").isEmpty();
    assertThat(reader.read(event("ServiceStarted", "{\"service\": \"JOB_SUPPORT_IPS\", \"specialistId\": \"s-j1\"}"),
        NOW).errors()).isEmpty();
  }

  @Test
  void aCohortsDefinitionIsKeyedByTheCohortAndNothingElseIs() {
    ObjectNode byParticipant = event("CohortDefined", COHORT);
    byParticipant.put("participantId", "p-7f3a9c");
    assertThat(fields(reader.read(byParticipant, NOW).errors())).containsExactly("participantId");

    ObjectNode otherCohort = event("CohortDefined", COHORT);
    otherCohort.put("participantId", "cohort:valdres-2025");
    assertThat(fields(reader.read(otherCohort, NOW).errors())).containsExactly("participantId");

    ObjectNode noCohort = event("CohortDefined", COHORT);
    noCohort.remove("cohortId");
    assertThat(fields(reader.read(noCohort, NOW).errors())).containsExactly("cohortId");

    ObjectNode foreignOffice = event("CohortDefined", COHORT);
    foreignOffice.put("officeId", "3451");
    assertThat(fields(reader.read(foreignOffice, NOW).errors())).containsExactly("officeId");

    ObjectNode participantWithACohortKey = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    participantWithACohortKey.put("participantId", "cohort:optimist");
    assertThat(fields(reader.read(participantWithACohortKey, NOW).errors())).containsExactly("participantId");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyPayloadType")
  void aValidEventOfEveryTypeConvertsToTheExpectedRecord(String type, String payloadJson, SpecificRecord payload) {
    EventJsonReader.Result result = reader.read(event(type, payloadJson), NOW);

    assertThat(result.errors()).isEmpty();
    assertThat(result.event()).isEqualTo(expected(payload));
  }

  @Test
  void theCasesAboveCoverEveryPayloadTypeOfTheSchema() {
    Set<String> covered = everyPayloadType().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
    assertThat(covered).containsExactlyInAnyOrderElementsOf(EventSchema.get().typeNames());
  }

  @Test
  void optionalFieldsTakeTheirDefaults() {
    ObjectNode json = event("ContactMade", "{\"channel\": \"PHONE\"}");
    json.remove("recordedAt");
    json.remove("cohortId");

    FollowUpEvent event = reader.read(json, NOW).event();

    assertThat(event.getRecordedAt()).isEqualTo(NOW);
    assertThat(event.getCohortId()).isNull();
    assertThat(((ContactMade) event.getPayload()).getReached()).isTrue();
  }

  @Test
  void aPayloadWithoutFieldsMayBeLeftOut() {
    EventJsonReader.Result result = reader.read(event("IndividualPlanStarted", null), NOW);

    assertThat(result.errors()).isEmpty();
    assertThat(result.event().getPayload()).isEqualTo(new IndividualPlanStarted());
  }

  @Test
  void unknownTypeIsAnErrorOnTypeListingTheKnownTypes() {
    List<FieldError> errors = reader.read(event("MeetingPlanned", "{\"meetingId\": \"m-1\"}"), NOW).errors();

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("type");
      assertThat(e.message()).contains("unknown event type", "MeetingScheduled", "ParticipantErased");
    });
  }

  @Test
  void missingTypeIsAnError() {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    json.remove("type");

    assertThat(fields(reader.read(json, NOW).errors())).containsExactly("type");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    ObjectNode json = event("MeetingScheduled", "{\"startsAt\": \"2026-11-24T10:00:00Z\", \"kind\": \"OFFICE\"}");
    json.remove("participantId");
    ((ObjectNode) json.get("actor")).remove("staffId");

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(fields(errors)).containsExactlyInAnyOrder("participantId", "actor.staffId", "payload.meetingId");
    assertThat(errors).allSatisfy(e -> assertThat(e.message()).isEqualTo("is required"));
  }

  @Test
  void aMissingPayloadIsAnErrorWhenTheTypeHasRequiredFields() {
    List<FieldError> errors = reader.read(event("MeetingAttended", null), NOW).errors();

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("payload");
      assertThat(e.message()).contains("meetingId");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-23", "2026-11-23T09:00:00", "yesterday", "2026-13-01T09:00:00Z", "1763888400000"})
  void malformedTimestampsAreNamed(String occurredAt) {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    json.put("occurredAt", occurredAt);

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("occurredAt");
      assertThat(e.message()).contains("ISO-8601");
    });
  }

  @Test
  void aTimestampAsNumberIsRejected() {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    json.put("occurredAt", 1763888400000L);

    assertThat(fields(reader.read(json, NOW).errors())).containsExactly("occurredAt");
  }

  @Test
  void badEnumSymbolsListTheValidOnes() {
    List<FieldError> errors = reader.read(
        event("MeetingScheduled", "{\"meetingId\": \"m-1\", \"startsAt\": \"2026-11-24T10:00:00Z\", \"kind\": \"KITCHEN\"}"), NOW)
        .errors();

    assertThat(errors).containsExactly(new FieldError("payload.kind",
        "must be one of OFFICE, HOME_VISIT, WALK_AND_TALK, PHONE_OR_VIDEO, ACCOMPANIED_VISIT, GROUP, OTHER"));
  }

  @Test
  void badEnumInsideAnArrayIsNamedWithItsIndex() {
    List<FieldError> errors = reader.read(
        event("ParticipantEnrolled", "{\"targetGroups\": [\"YOUTH_UNDER_30\", \"PENSIONERS\"], \"coordinatorId\": \"s-12\"}"), NOW)
        .errors();

    assertThat(fields(errors)).containsExactly("payload.targetGroups[1]");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 6, -1, 50})
  void scoresOutsideOneToFiveAreRejected(int score) {
    String payload = "{\"physicalFitness\": 1, \"feelings\": %d, \"dailyActivities\": 3, \"socialActivities\": 4,"
        + " \"changeInHealth\": 5, \"overallHealth\": 3, \"pain\": 2}";

    List<FieldError> errors = reader.read(event("FunctionScoreRecorded", payload.formatted(score)), NOW).errors();

    assertThat(errors).containsExactly(new FieldError("payload.feelings", "must be between 1 and 5"));
  }

  @Test
  void timesInTheFarFutureAreRejected() {
    ObjectNode json = event("MeetingScheduled",
        "{\"meetingId\": \"m-1\", \"startsAt\": \"2029-01-01T10:00:00Z\", \"kind\": \"OFFICE\"}");
    json.put("occurredAt", NOW.plus(Duration.ofMinutes(10)).toString());
    json.put("recordedAt", NOW.plus(Duration.ofHours(1)).toString());

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(fields(errors)).containsExactlyInAnyOrder("occurredAt", "recordedAt", "payload.startsAt");
    assertThat(errors).filteredOn(e -> e.field().equals("payload.startsAt"))
        .singleElement().satisfies(e -> assertThat(e.message()).contains("2 years"));
  }

  @Test
  void timesWithinTheToleranceAreAccepted() {
    ObjectNode json = event("MeetingScheduled",
        "{\"meetingId\": \"m-1\", \"startsAt\": \"2028-11-01T10:00:00Z\", \"kind\": \"OFFICE\"}");
    json.put("occurredAt", NOW.plus(Duration.ofMinutes(4)).toString());
    json.put("recordedAt", NOW.plus(Duration.ofMinutes(4)).toString());

    assertThat(reader.read(json, NOW).errors()).isEmpty();
  }

  @Test
  void occurredAfterRecordedIsRejected() {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    json.put("occurredAt", "2026-11-23T09:00:00Z");
    json.put("recordedAt", "2026-11-23T08:00:00Z");

    assertThat(reader.read(json, NOW).errors()).containsExactly(new FieldError("occurredAt", "must not be after recordedAt"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"01019012345", "010190 12345", "010190-12345", "p-01019012345"})
  void aNationalIdentityNumberAsParticipantIdIsRejectedWithoutEchoingIt(String identityNumber) {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    json.put("participantId", identityNumber);

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("participantId");
      assertThat(e.message()).contains("pseudonymous id");
      assertThat(e.message()).doesNotContain("12345");
    });
  }

  @Test
  void pseudonymousIdsWithDigitsAreAccepted() {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    json.put("participantId", "0d7a3c1f-5e21-4c1a-9a57-123456789012");

    assertThat(reader.read(json, NOW).errors()).isEmpty();
  }

  @Test
  void anIdentityNumberInAnyOtherFieldIsRejectedToo() {
    assertThat(reader.read(event("MeetingAttended", "{\"meetingId\": \"01019012345\"}"), NOW).errors())
        .singleElement().satisfies(e -> {
          assertThat(e.field()).isEqualTo("payload.meetingId");
          assertThat(e.message()).contains("national identity number").doesNotContain("01019012345");
        });
  }

  @Test
  void unknownFieldsAreRejectedSoThatTyposAreNotIgnored() {
    ObjectNode json = event("MeetingScheduled",
        "{\"meetingId\": \"m-1\", \"startsAt\": \"2026-11-24T10:00:00Z\", \"kind\": \"OFFICE\", \"kindd\": \"OFFICE\"}");
    json.put("participantID", "p-1");

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(fields(errors)).containsExactlyInAnyOrder("participantID", "payload.kindd");
    assertThat(errors).allSatisfy(e -> assertThat(e.message()).startsWith("unknown field"));
  }

  @Test
  void textTheCallerChoseIsNotEchoedWhenItIsNoName() {
    ObjectNode json = event("MeetingScheduled", "{\"meetingId\": \"m-1\", \"startsAt\": \"2026-11-24T10:00:00Z\", \"kind\": \"OFFICE\"}");
    json.put("01019012345", "p-1"); // an identity number typed where a field name goes
    List<FieldError> unknownField = reader.read(json, NOW).errors();
    assertThat(unknownField).singleElement().satisfies(e -> {
      assertThat(e.message()).startsWith("unknown field");
      assertThat(e.field() + e.message()).doesNotContain("01019012345");
    });

    List<FieldError> unknownType = reader.read(event("01019012345", "{}"), NOW).errors();
    assertThat(unknownType).extracting(FieldError::field).contains("type");
    assertThat(unknownType).allSatisfy(e -> assertThat(e.field() + e.message()).doesNotContain("01019012345"));
  }

  @Test
  void wrongJsonTypesAreNamed() {
    ObjectNode json = event("JobStarted", "{\"kind\": \"ORDINARY\", \"hoursPerWeek\": \"20\"}");
    json.put("actor", "s-12");
    json.put("officeId", 403);

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(errors).containsExactlyInAnyOrder(
        new FieldError("officeId", "must be a string"),
        new FieldError("actor", "must be a JSON object"),
        new FieldError("payload.hoursPerWeek", "must be an integer"));
  }

  @Test
  void moreWrongJsonTypes() {
    ObjectNode enrolled = event("ParticipantEnrolled", "{\"targetGroups\": \"YOUTH_UNDER_30\", \"coordinatorId\": \"s-1\"}");
    ObjectNode contact = event("ContactMade", "{\"channel\": \"PHONE\", \"reached\": \"yes\"}");
    ObjectNode scores = event("FunctionScoreRecorded", "{\"physicalFitness\": 1.5, \"feelings\": 2, \"dailyActivities\": 3,"
        + " \"socialActivities\": 4, \"changeInHealth\": 5, \"overallHealth\": 3, \"pain\": 2}");

    assertThat(reader.read(enrolled, NOW).errors()).containsExactly(new FieldError("payload.targetGroups", "must be a JSON array"));
    assertThat(reader.read(contact, NOW).errors()).containsExactly(new FieldError("payload.reached", "must be true or false"));
    assertThat(reader.read(scores, NOW).errors()).containsExactly(new FieldError("payload.physicalFitness", "must be an integer"));
  }

  @Test
  void nullForARequiredFieldIsAnError() {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": null}");

    assertThat(reader.read(json, NOW).errors()).containsExactly(new FieldError("payload.meetingId", "must be a string"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "6f1c2a3e3b7e4c1a9a570d7a3c1f5e21"})
  void eventIdMustBeAUuid(String eventId) {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    json.put("eventId", eventId);

    assertThat(fields(reader.read(json, NOW).errors())).containsExactly("eventId");
  }

  @Test
  void blankStringsAndEmptyTargetGroupsAreRejected() {
    ObjectNode json = event("ParticipantEnrolled", "{\"targetGroups\": [], \"coordinatorId\": \"  \"}");
    json.put("officeId", "");

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(errors).containsExactlyInAnyOrder(
        new FieldError("officeId", "must not be blank"),
        new FieldError("payload.targetGroups", "must contain at least one target group"),
        new FieldError("payload.coordinatorId", "must not be blank"));
  }

  @Test
  void everyErrorIsReportedNotOnlyTheFirst() {
    ObjectNode json = event("FunctionScoreRecorded", "{\"physicalFitness\": 0, \"feelings\": 6, \"dailyActivities\": 3,"
        + " \"socialActivities\": 4, \"changeInHealth\": 5, \"overallHealth\": 3}");
    json.put("eventId", "nope");
    json.put("participantId", "01019012345");
    ((ObjectNode) json.get("actor")).put("role", "JANITOR");
    json.put("occurredAt", "soon");
    json.put("colour", "blue");

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(fields(errors)).containsExactlyInAnyOrder(
        "eventId", "participantId", "actor.role", "occurredAt", "colour",
        "payload.physicalFitness", "payload.feelings", "payload.pain");
  }

  @Test
  void aBodyThatIsNotAnObjectIsAnError() throws Exception {
    assertThat(reader.read(JSON.readTree("[1, 2]"), NOW).errors()).containsExactly(new FieldError("$", "must be a JSON object"));
  }

  @Test
  void typeMayBeTheFullName() {
    ObjectNode json = event("no.followup.events.MeetingAttended", "{\"meetingId\": \"m-1\"}");

    assertThat(reader.read(json, NOW).event().getPayload()).isEqualTo(new MeetingAttended("m-1"));
  }

  @Test
  void theExampleOfEveryTypeIsValidAndSurvivesARoundTrip() {
    ExampleEvents examples = new ExampleEvents();
    EventJsonWriter writer = new EventJsonWriter();
    for (String type : EventSchema.get().typeNames()) {
      ObjectNode example = examples.example(type, NOW);

      EventJsonReader.Result result = reader.read(example, NOW);

      assertThat(result.errors()).as(type).isEmpty();
      assertThat(result.event().getPayload().getClass().getSimpleName()).isEqualTo(type);
      JsonNode written = writer.write(result.event());
      assertThat(written).as(type).isEqualTo(example);
      assertThat(reader.read(written, NOW).event()).isEqualTo(result.event());
    }
  }

  /** Puts {@code value} at {@code path} ("officeId", "actor.staffId", "payload.meetingId"). */
  private static ObjectNode with(ObjectNode event, String path, String value) {
    int dot = path.indexOf('.');
    ObjectNode record = dot < 0 ? event : (ObjectNode) event.get(path.substring(0, dot));
    record.put(path.substring(dot + 1), value);
    return event;
  }

  static Stream<Arguments> textOutsideItsFieldsLimits() {
    return Stream.of(
        Arguments.of("officeId", "999", "must be a NAV unit number: 4 digits, e.g. 0403"),
        Arguments.of("officeId", "2025-13-45T99:99:99Z", "must be at most 4 characters"),
        Arguments.of("officeId", "x".repeat(100_000), "must be at most 4 characters"),
        Arguments.of("officeId", "\uff10\uff14\uff10\uff13", "must be a NAV unit number"), // fullwidth digits
        Arguments.of("officeId", "\u0660\u0664\u0660\u0663", "must be a NAV unit number"), // Arabic-Indic digits
        Arguments.of("participantId", "\u0000", "must be a pseudonymous id"),
        Arguments.of("participantId", "p-7f3a9c\u0000", "must be a pseudonymous id"),
        Arguments.of("participantId", "\ud83d\ude00\ud83d\ude00", "must be a pseudonymous id"), // emoji
        Arguments.of("participantId", "p-" + "a".repeat(63), "must be at most 64 characters"),
        Arguments.of("participantId", "..", "must be a pseudonymous id"),
        Arguments.of("participantId", "p 7f3a9c", "must be a pseudonymous id"),
        Arguments.of("actor.staffId", "s-7a1c30\n", "must be a pseudonymous id"),
        Arguments.of("actor.staffId", "s".repeat(200_000), "must be at most 64 characters"),
        Arguments.of("cohortId", "Optimist", "must be a cohort slug"),
        Arguments.of("cohortId", "optimist|YOUTH_UNDER_30", "must be a cohort slug"),
        Arguments.of("cohortId", "gj\u00f8vik-2025", "must be a cohort slug"),
        Arguments.of("cohortId", "c".repeat(41), "must be at most 40 characters"),
        Arguments.of("payload.meetingId", "m-1\tb", "must be a pseudonymous id"),
        Arguments.of("payload.meetingId", "\u202em-1", "must be a pseudonymous id"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textOutsideItsFieldsLimits")
  void textOutsideItsFieldsLimitsIsNamedWithoutEchoingIt(String path, String value, String message) {
    ObjectNode json = with(event("MeetingAttended", "{\"meetingId\": \"m-1\"}"), path, value);

    List<FieldError> errors = reader.read(json, NOW).errors();

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo(path);
      assertThat(e.message()).startsWith(message).doesNotContain(value);
    });
  }

  @Test
  void aMunicipalityIsFourDigits() {
    assertThat(reader.read(event("ParticipantMoved", "{\"toMunicipality\": \"301\"}"), NOW).errors())
        .containsExactly(new FieldError("payload.toMunicipality", "must be a municipality number: 4 digits, e.g. 3421"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"p-7f3a9c", "s-7a1c30", "local", "Z990123", "0d7a3c1f-5e21-4c1a-9a57-0d7a3c1f5e21",
      "-Xq3_NfVl5Ff8GcmQGm4Kj3GSj1rZQtP8y3ZRFFYFzU", "nav:p.2025_01",
      "p.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"})
  void idsOfTheFormsInUseAreAcceptedUpToSixtyFourCharacters(String id) {
    ObjectNode json = event("MeetingAttended", "{\"meetingId\": \"m-1\"}");
    with(with(with(json, "participantId", id), "actor.staffId", id), "payload.meetingId", id);

    assertThat(reader.read(json, NOW).errors()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"optimist", "gjovik-2025", "valdres-2025", "it-cohort", "a234567890123456789012345678901234567890"})
  void cohortSlugsAreAccepted(String cohort) {
    assertThat(reader.read(with(event("MeetingAttended", "{\"meetingId\": \"m-1\"}"), "cohortId", cohort), NOW).errors())
        .isEmpty();
  }

  @Test
  void timesBeforeTwoThousandAreRejected() {
    ObjectNode json = event("MeetingScheduled",
        "{\"meetingId\": \"m-1\", \"startsAt\": \"1970-01-01T00:00:00Z\", \"kind\": \"OFFICE\"}");
    json.put("occurredAt", "1999-12-31T23:59:59Z");

    assertThat(reader.read(json, NOW).errors()).containsExactlyInAnyOrder(
        new FieldError("occurredAt", "must not be before 2000-01-01T00:00:00Z"),
        new FieldError("payload.startsAt", "must not be before 2000-01-01T00:00:00Z"));
    json.put("occurredAt", "2000-01-01T00:00:00Z");
    ((ObjectNode) json.get("payload")).put("startsAt", "2000-01-01T00:00:00Z");
    assertThat(reader.read(json, NOW).errors()).isEmpty();
  }

  @Test
  void anOverlongArrayIsOneErrorWhateverItsItems() {
    String groups = String.join(", ", Collections.nCopies(BusinessRules.MAX_ARRAY_ITEMS + 1, "\"PENSIONERS\""));
    String fine = String.join(", ", Collections.nCopies(BusinessRules.MAX_ARRAY_ITEMS, "\"IMMIGRANTS\""));

    assertThat(reader.read(event("ParticipantEnrolled", "{\"targetGroups\": [" + groups + "], \"coordinatorId\": \"s-1\"}"), NOW)
        .errors()).containsExactly(new FieldError("payload.targetGroups", "must contain at most 20 items"));
    assertThat(reader.read(event("ParticipantEnrolled", "{\"targetGroups\": [" + fine + "], \"coordinatorId\": \"s-1\"}"), NOW)
        .errors()).isEmpty();
  }

  /**
   * The limits bound what reaches the topic: the event of every type with every text at its longest and
   * every array full is still valid, and encodes (Avro binary plus the 5-byte wire-format header) to
   * less than a kilobyte.
   */
  @Test
  void theLargestValidEventOfEveryTypeEncodesToLessThanAKilobyte() throws Exception {
    BusinessRules rules = new BusinessRules();
    for (String type : EventSchema.get().typeNames()) {
      ObjectNode json = new ExampleEvents().example(type, NOW);
      fillToTheLimits(json, EventSchema.get().envelope(), rules);
      fillToTheLimits((ObjectNode) json.get("payload"), EventSchema.get().payloadTypes().get(type), rules);
      if (type.equals("CohortDefined")) {
        json.put("participantId", "cohort:" + json.get("cohortId").asText());
      }
      if (json.get("payload").has("specialistId")) {
        // a capacity's key, 'specialist:' and the id, must fit a participantId: the id is the one shorter
        String specialistId = json.get("payload").get("specialistId").asText().substring(0, 53);
        ((ObjectNode) json.get("payload")).put("specialistId", specialistId);
      }
      if (type.equals("SpecialistCapacitySet")) {
        json.put("participantId", "specialist:" + json.get("payload").get("specialistId").asText());
      }

      EventJsonReader.Result result = reader.read(json, NOW);

      assertThat(result.errors()).as(type).isEmpty();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
      new SpecificDatumWriter<FollowUpEvent>(FollowUpEvent.class).write(result.event(), encoder);
      encoder.flush();
      assertThat(5 + bytes.size()).as(type).isLessThan(1024);
    }
  }

  /** Every string field of {@code record} at its longest valid text, every array at its most items. */
  private static void fillToTheLimits(ObjectNode json, Schema record, BusinessRules rules) {
    for (Schema.Field f : record.getFields()) {
      if (f.name().equals(EventSchema.PAYLOAD_FIELD)) {
        continue; // filled with its own record's schema
      }
      Schema value = EventSchema.nonNullBranches(f.schema()).get(0);
      if (value.getType() == Schema.Type.STRING) {
        String longest = longest(rules.textShape(f.name(), value));
        assertThat(longest).as(f.name()).hasSize(rules.textShape(f.name(), value).maxLength());
        json.put(f.name(), longest);
      } else if (value.getType() == Schema.Type.RECORD && json.get(f.name()) instanceof ObjectNode inner) {
        fillToTheLimits(inner, value, rules);
      } else if (value.getType() == Schema.Type.ARRAY) {
        Schema item = value.getElementType();
        ArrayNode items = json.putArray(f.name());
        for (int i = 0; i < BusinessRules.MAX_ARRAY_ITEMS; i++) {
          if (item.getType() == Schema.Type.ENUM) {
            items.add(item.getEnumSymbols().get(i % item.getEnumSymbols().size()));
          } else if (item.getType() == Schema.Type.STRING) {
            items.add(longest(rules.textShape(f.name(), item)));
          } else {
            items.add(LocalDate.ofInstant(NOW, java.time.ZoneOffset.UTC).plusYears(1).toString()); // a date
          }
        }
      }
    }
  }

  private static String longest(BusinessRules.TextShape shape) {
    return Stream.of("a".repeat(shape.maxLength()), "0".repeat(shape.maxLength()))
        .filter(text -> shape.pattern().matcher(text).matches()).findFirst().orElse(shape.example());
  }

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }
}
