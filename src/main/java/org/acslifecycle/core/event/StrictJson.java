package org.acslifecycle.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads untrusted bytes as one strict JSON value: valid UTF-8 only, no duplicate keys, no trailing
 * content, and limits that make hostile JSON fail fast instead of costing memory or stack.
 *
 * <p>Thread-safe: the mapper is configured once and only read from; a decoder is made per call.
 */
final class StrictJson {

    /** Lifecycle events are shallow; 32 levels leave room for extensions while deep JSON fails at once. */
    static final int MAX_NESTING_DEPTH = 32;
    /** Nothing in the contract is numeric, so a long number is abuse (and BigInteger parsing is superlinear). */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Attribute names are short (CloudEvents suggests 20 characters). */
    static final int MAX_NAME_LENGTH = 1024;

    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

    private final ObjectMapper mapper;

    StrictJson() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxStringLength(EventContract.MAX_BODY_BYTES)
                        .maxDocumentLength(EventContract.MAX_BODY_BYTES)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * @param bytes     at most {@link EventContract#MAX_BODY_BYTES}, checked by the caller before this
     * @param attribute what the bytes are, for the violation: {@code body} or {@code data}
     */
    JsonNode read(byte[] bytes, String attribute) throws ContractViolation {
        String text = decodeUtf8(bytes, attribute);
        // A UTF-8 byte order mark is not JSON (RFC 8259 §8.1) but is harmless, and some writers add one.
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        JsonNode node;
        try {
            // From the decoded text, not the bytes: Jackson's byte parser would guess UTF-16/32 encodings.
            node = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw limitExceeded(e, attribute);
        } catch (JsonProcessingException e) {
            throw malformed(e, attribute);
        } catch (IOException e) {
            throw ContractViolation.invalid(attribute, "json-syntax", attribute + " could not be read as JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw ContractViolation.invalid(attribute, "json-syntax", attribute + " holds no JSON value");
        }
        return node;
    }

    private static String decodeUtf8(byte[] bytes, String attribute) throws ContractViolation {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        try {
            CharBuffer chars = decoder.decode(input);
            return chars.toString();
        } catch (CharacterCodingException e) {
            // The JDK decoder also refuses overlong forms and encoded surrogates; it stops at the bad sequence.
            throw ContractViolation.invalid(attribute, "utf-8",
                    attribute + " is not valid UTF-8 (bad byte sequence at offset " + input.position() + ")");
        }
    }

    private static ContractViolation limitExceeded(StreamConstraintsException e, String attribute) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return ContractViolation.invalid(attribute, "max-nesting-depth",
                    attribute + " nests JSON deeper than " + MAX_NESTING_DEPTH + " levels");
        }
        return ContractViolation.invalid(attribute, "json-limits",
                attribute + " has a JSON number, name or string over the size limits" + at(e.getLocation()));
    }

    private static ContractViolation malformed(JsonProcessingException e, String attribute) {
        Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.matches()) {
            return ContractViolation.invalid(attribute, "no-duplicate-keys",
                    attribute + " has the key " + SafeText.quote(duplicate.group(1)) + " twice in one object");
        }
        // Jackson's own message may quote the input at length, so only the position is passed on.
        return ContractViolation.invalid(attribute, "json-syntax", attribute + " is not well-formed JSON" + at(e.getLocation()));
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
